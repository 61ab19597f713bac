// Options of the image service, the [image] section of tstack.conf (glance-api.conf's
// [DEFAULT], [glance_store] and [keystone_authtoken] gathered in one place).

import { defineGroup, intOpt, portOpt, stringOpt } from '../common/config/index.js';

export const imageOptions = defineGroup('image', {
  port: portOpt({ default: 9292, help: 'TCP port of the image API.' }),
  connection: stringOpt({ secret: true, help: 'Database URL (sqlite:///path, postgresql://..., mysql://...). Default: image.db in data_dir.' }),
  filesystem_store_datadir: stringOpt({ help: 'Directory of the file store, one file per image. Default: images in data_dir.' }),
  staging_dir: stringOpt({ help: 'Directory where interoperable import stages data (glance-direct). Default: image-staging in data_dir.' }),
  image_size_cap: intOpt({ default: 1099511627776, min: 1, help: 'Largest image, in bytes, an upload may write (Glance image_size_cap); larger uploads are refused with 413.' }),
  image_count_total: intOpt({ default: 1000, min: 0, help: 'Images a project may own (Glance unified-limits image_count_total).' }),
  image_size_total: intOpt({ default: 1099511627776, min: 0, help: 'Bytes of image data a project may store (Glance image_size_total).' }),
  api_limit_max: intOpt({ default: 1000, min: 1, help: 'Largest page an image list returns, whatever limit the client asks for.' }),
  limit_param_default: intOpt({ default: 25, min: 1, help: 'Page size of an image list when the client gives no limit.' }),
  policy_file: stringOpt({ help: 'YAML or JSON file overriding default policy rules.' }),
  auth_url: stringOpt({ help: 'Keystone URL (…/v3) the service validates tokens with; tstack up sets it.' }),
  service_username: stringOpt({ default: 'glance', help: 'Service user the image service authenticates to Keystone as.' }),
  service_password: stringOpt({ secret: true, help: 'Password of service_username. Default with tstack up: generated and kept in data_dir.' }),
  service_project_name: stringOpt({ default: 'service', help: 'Project of the service user.' }),
  token_cache_seconds: intOpt({ default: 60, min: 0, help: 'How long a validated user token is trusted before Keystone is asked again (keystonemiddleware token_cache_time).' }),
});
