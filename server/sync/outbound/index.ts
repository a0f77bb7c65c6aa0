/**
 * The former server/sync/outbound.ts, for server/compose/ until it imports the files of this
 * folder (and ../jobs) itself: delete this file then. Nothing else imports it.
 */
export {
  OUTBOUND_LOAN_QUEUE,
  OUTBOUND_ROOM_CHECK_QUEUE,
  type OutboundLoanJob,
  type RoomCheckJob,
} from '../jobs';
export type { OutboundDeps } from './deps';
export { ROOM_CHECK_ATTEMPTS } from './roomAnswers';
export { syncLoanToOutlook } from './syncLoanToOutlook';
export { checkRoomAnswers } from './checkRoomAnswers';
