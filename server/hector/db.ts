import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema';

/** The database handle the loans core works with: the service's Kysely or a transaction of it. */
export type Db = Kysely<Schema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from URLs and bodies; anything that is not a uuid cannot exist (and must not reach a uuid cast). */
export const isUuid = (value: string): boolean => UUID.test(value);
