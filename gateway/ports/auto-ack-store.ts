/**
 * Who has had an account's automatic acknowledgement: the first inbound message of a number (per account) gets one,
 * and the number counts as acknowledged for the account's window. One atomic claim per inbound, so two processes
 * handling two messages of one number send one acknowledgement.
 */
export interface AutoAckStore {
  /**
   * Marks `number` (E.164) as acknowledged by `accountId` for `windowMs`; true when it was not already (the caller
   * sends the acknowledgement), false while an earlier mark holds.
   */
  claim(accountId: string, number: string, windowMs: number): Promise<boolean>;
}
