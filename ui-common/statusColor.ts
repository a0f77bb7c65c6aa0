/**
 * How a Hector status looks on a Fluent UI badge, in the admin page and in the add-in alike (one
 * table, so the two never disagree). Pure: no React, no Office.
 */
export type BadgeColor =
  'brand' | 'danger' | 'important' | 'informative' | 'severe' | 'subtle' | 'success' | 'warning';

/** Badge colour of a loan's or an item's status; unknown statuses stay neutral. */
export function statusColor(status: string): BadgeColor {
  switch (status) {
    case 'new':
    case 'pending_approval':
      return 'brand';
    case 'assigned':
    case 'returned':
    case 'completed':
    case 'active': // an item still in the loan
      return 'success';
    case 'out':
    case 'partially_out':
      return 'informative';
    case 'overdue':
    case 'to_be_inspected':
    case 'suspended':
      return 'warning';
    case 'damaged':
      return 'severe';
    case 'refused':
    case 'cancelled':
      return 'danger';
    default:
      return 'subtle';
  }
}
