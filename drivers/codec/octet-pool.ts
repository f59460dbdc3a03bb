/**
 * Small octet arrays carved out of shared 64 KiB slabs. Allocating a fresh Uint8Array costs far more than
 * encoding a whole SMS (the runtime zero-fills a separate backing store for each one), so the codec hands out
 * views instead, the way Node's Buffer pool does. A view's `.buffer` is the whole slab: whoever needs an
 * ArrayBuffer must honour `byteOffset` / `byteLength` (or copy with `slice()`).
 *
 * Memory handed out is always zero-filled: slabs start zeroed and a tail given back is cleared first.
 */

const SLAB_SIZE = 64 * 1024;
/** Larger requests get their own array, so one long message does not waste a slab. */
const MAX_POOLED = 4 * 1024;

let slab = new ArrayBuffer(SLAB_SIZE);
let offset = 0;

/** A zero-filled array of `length` octets, usually a view into a shared slab. */
export function allocOctets(length: number): Uint8Array {
  if (length > MAX_POOLED) return new Uint8Array(length);
  if (offset + length > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    offset = 0;
  }
  const view = new Uint8Array(slab, offset, length);
  offset += length;
  return view;
}

/**
 * The first `length` octets of `view`; when `view` is the latest allocation its unused tail goes back to the
 * pool (cleared), so sizing an allocation for the worst case costs nothing.
 */
export function shrinkOctets(view: Uint8Array, length: number): Uint8Array {
  if (length >= view.length) return view;
  if (view.buffer === slab && view.byteOffset + view.byteLength === offset) {
    view.fill(0, length);
    offset -= view.length - length;
  }
  return view.subarray(0, length);
}
