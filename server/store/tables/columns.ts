import type { ColumnType, Generated } from 'kysely';

/** Column shapes shared by every table file (a leaf: table files import this, never schema.ts). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Id = Generated<number>;
