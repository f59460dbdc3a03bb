/**
 * SMPP 3.4 values carried inside PDU bodies: the section 5.3.2 TLV tags this project reads or writes, the esm_class
 * bits of section 5.2.12, the message_state values of section 5.2.28 and the C-octet string maxima of section 4
 * (NUL included).
 */

export const TLV_TAG = {
  receipted_message_id: 0x001e,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  sc_interface_version: 0x0210,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  message_state: 0x0427,
} as const;

export const ESM_CLASS = {
  deliveryReceipt: 0x04,
  intermediateNotification: 0x20,
  udhi: 0x40,
  /** Bits 2-5: the message type of a deliver_sm / data_sm. */
  messageTypeMask: 0x3c,
} as const;

/** message_state for each Appendix B `stat:` value. */
export const MESSAGE_STATE_BY_STAT = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
} as const;

export type ReceiptStat = keyof typeof MESSAGE_STATE_BY_STAT;

/** Section 5.2.23: message_id is at most 64 characters (65 octets with its NUL). */
export const MAX_MESSAGE_ID = 64;

/** Section 5.2.21: sm_length is one octet and the SMSC takes at most 254. */
export const MAX_SHORT_MESSAGE = 254;
