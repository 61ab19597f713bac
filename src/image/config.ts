// Options of the image service, the [image] section of tstack.conf (glance-api.conf's
// [DEFAULT], [glance_store] and [keystone_authtoken] gathered in one place).

import { defineGroup, intOpt, stringOpt } from '../common/config/index.js';
import { serviceOptions, serviceUserOptions } from '../common/service/index.js';

export const imageOptions = defineGroup('image', {
  ...serviceOptions({
    port: 9292, label: 'image', tokenCacheSeconds: 60,
    tokenCacheHelp: 'How long a validated user token is trusted before Keystone is asked again (keystonemiddleware token_cache_time).',
  }),
  filesystem_store_datadir: stringOpt({ help: 'Directory of the file store, one file per image. Default: images in data_dir.' }),
  staging_dir: stringOpt({ help: 'Directory where interoperable import stages data (glance-direct). Default: image-staging in data_dir.' }),
  image_size_cap: intOpt({ default: 1099511627776, min: 1, help: 'Largest image, in bytes, an upload may write (Glance image_size_cap); larger uploads are refused with 413.' }),
  image_count_total: intOpt({ default: 1000, min: 0, help: 'Images a project may own (Glance unified-limits image_count_total).' }),
  image_size_total: intOpt({ default: 1099511627776, min: 0, help: 'Bytes of image data a project may store (Glance image_size_total).' }),
  api_limit_max: intOpt({ default: 1000, min: 1, help: 'Largest page an image list returns, whatever limit the client asks for.' }),
  limit_param_default: intOpt({ default: 25, min: 1, help: 'Page size of an image list when the client gives no limit.' }),
  ...serviceUserOptions({ username: 'glance', label: 'image' }),
  task_cleanup_interval: intOpt({ default: 3600, min: 0, help: 'Seconds between two removals of finished tasks past their time to live (48 hours, Glance task_time_to_live); the first run comes at a random point of the first interval. 0 never removes them.' }),
});
