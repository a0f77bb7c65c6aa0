/** A Hector place that is a synced room (active, with the room's e-mail), as the rules see it. */
export interface SyncedRoom {
  email: string;
  placeId: string;
  name: string;
}
