/** English strings of the task pane. Every user-facing text of addin/ lives here and in fr.ts. */
export const en = {
  appTitle: 'Hector loan',
  loading: 'Looking for the Hector loan of this event…',
  loan: {
    heading: (number: number) => `Loan ${number}`,
    status: 'Status',
    when: 'When',
    requester: 'Requester',
    items: 'Items',
    itemKind: { place: 'Room', asset: 'Asset' } as Record<string, string>,
    open: 'Open in Hector',
    /** The add-in's own sentence per notice code (the server's message otherwise). */
    notices: {
      awaiting_approval: "Waiting for the room's approval: the loan is confirmed once its delegate accepts.",
    } as Record<string, string>,
  },
  /** Fallback names for statuses the server gave no label for (Hector's own label wins). */
  statusNames: {
    pending_approval: 'Pending approval',
    new: 'New',
    assigned: 'Assigned',
    suspended: 'Suspended',
    partially_out: 'Partially out',
    out: 'Out',
    overdue: 'Overdue',
    to_be_inspected: 'To be inspected',
    returned: 'Returned',
    damaged: 'Damaged',
    completed: 'Completed',
    cancelled: 'Cancelled',
    refused: 'Refused',
  } as Record<string, string>,
  noLoan: {
    heading: 'No Hector loan for this event',
    reasons: {
      not_saved: 'Save the event first: Hector only sees events once they are saved.',
      no_synced_room: 'This event has no room synchronised with Hector.',
      room_declined: 'The room declined the invitation, so no loan was created.',
      room_unavailable: 'The room is not available in Hector for these dates.',
      syncing: 'Hector is still synchronising this event. This view refreshes by itself.',
      sync_failed:
        'Hector could not synchronise this event. Your administrator must fix the cause below, then re-sync; press Refresh afterwards.',
      not_found: 'Hector does not know this event.',
      no_access: 'Hector may not read your calendar. Ask your administrator.',
      series: 'Each occurrence of this series has a Hector loan of its own.',
      other: 'Hector has no loan for this event.',
    } as Record<string, string>,
    serverSays: 'Details:',
    refresh: 'Refresh',
    noItem: 'Open a calendar event to see its Hector loan.',
  },
  /** B3: the pane opened on a series lists its upcoming occurrences. */
  series: {
    heading: 'Recurring meeting',
    upcoming: 'Upcoming occurrences',
    none: 'No occurrence of this series is coming up in the booking window.',
    loan: (number: number) => `Loan ${number}`,
    noLoan: 'No loan',
    /** What a screen reader says of one occurrence. */
    occurrence: (when: string, what: string) => `${when}: ${what}`,
  },
  /** B7: the store's assets on the meeting's loan. */
  assets: {
    heading: 'Equipment',
    search: 'Search equipment',
    none: 'No equipment matches.',
    available: 'Available',
    unavailable: 'Unavailable',
    onLoan: 'On the loan',
    add: (name: string) => `Add ${name}`,
    remove: (name: string) => `Remove ${name}`,
    addLabel: 'Add',
    removeLabel: 'Remove',
    readOnly: 'Only the organizer can change the equipment of this meeting.',
    added: (name: string) => `${name} was added to the loan.`,
    removed: (name: string) => `${name} was removed from the loan.`,
    failed: 'Hector refused the change:',
    unreachable: 'Hector could not be reached. Try again.',
  },
  /** B9: check-in. */
  checkIn: {
    button: 'Check in',
    done: 'You are checked in: the room is yours.',
    already: 'Checked in',
    closed: 'Check-in is not open now.',
    failed: 'Check-in failed:',
  },
  /** B8: availability while composing. */
  availability: {
    heading: 'Room availability in Hector',
    check: 'Check again',
    checking: 'Checking the rooms…',
    noRooms: 'Add a room to the meeting to see whether Hector can lend it.',
    unreadable: 'The meeting’s dates cannot be read yet.',
    available: 'Available',
    unavailable: 'Unavailable',
    alternatives: 'Free rooms nearby',
    capacity: (n: number) => `${n} seats`,
    choose: (name: string) => `Add ${name} to the meeting`,
    chooseLabel: 'Add',
    addedRoom: (name: string) => `${name} was added to the meeting.`,
    addFailed: 'Outlook did not add the room.',
    failed: 'Hector could not check the rooms. Try again.',
  },
  errors: {
    signInTitle: 'Sign-in needed',
    signInText: 'Sign in with your work account so Hector can show this event’s loan.',
    signIn: 'Sign in',
    unreachableTitle: 'Hector cannot be reached',
    unreachableText: 'The Hector server did not answer. Check your connection, then try again.',
    busyTitle: 'Hector is busy',
    busyText: 'Too many requests for now. Wait a moment, then try again.',
    retry: 'Try again',
  },
};

export type Strings = typeof en;
