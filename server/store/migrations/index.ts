import type { Migration } from 'kysely';
import * as m001 from './001_core';
import * as m002 from './002_hector';
import * as m003 from './003_integration';
import * as m004 from './004_sync';
import * as m005 from './005_outbound';
import * as m006 from './006_reconcile';
import * as m007 from './007_room_copy_etag';
import * as m008 from './008_outbound_pushed_at';
import * as m009 from './009_outbound_pending_fields';
import * as m010 from './010_directory';
import * as m011 from './011_immutable_ids';
import * as m012 from './012_operations';
import * as m013 from './013_journal_codes';
import * as m014 from './014_series';
import * as m015 from './015_reconcile_drift';
import * as m016 from './016_rich_notifications';
import * as m017 from './017_addin_actions';

/**
 * Every migration, in order. Static imports (not a folder scan) so that tsc, ts-jest and
 * webpack-free production builds all see the same list. Names never change once released.
 */
export const migrations: Record<string, Migration> = {
  '001_core': m001,
  '002_hector': m002,
  '003_integration': m003,
  '004_sync': m004,
  '005_outbound': m005,
  '006_reconcile': m006,
  '007_room_copy_etag': m007,
  '008_outbound_pushed_at': m008,
  '009_outbound_pending_fields': m009,
  '010_directory': m010,
  '011_immutable_ids': m011,
  '012_operations': m012,
  '013_journal_codes': m013,
  '014_series': m014,
  '015_reconcile_drift': m015,
  '016_rich_notifications': m016,
  '017_addin_actions': m017,
};
