// The OpenStack interop (RefStack) required Tempest tests for image (Glance v2) against a real
// `tstack up` cloud, through ../shared/conformance/run-tempest.sh (CI clones shared/ beside the repo).
import { tempestSuite } from '../support/tempest.js';

tempestSuite('image');
