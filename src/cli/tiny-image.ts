// The default image's bytes: a 1 MiB raw disk whose boot sector, run by any PC BIOS (SeaBIOS
// under QEMU), writes one line to the first serial port and halts. It lets a new cloud boot
// something and read the result from the console log without downloading a guest image.

/** What the guest writes to COM1 once it has booted. */
export const TINY_IMAGE_BANNER = 'tstack tiny image booted';

const DISK_BYTES = 1024 * 1024;

/**
 * 16-bit real-mode code loaded at 0x7c00:
 *   cli; xor ax,ax; mov ds,ax; mov ss,ax; mov sp,0x7c00; sti; cld
 *   mov ah,0; mov al,0xe3; xor dx,dx; int 0x14        ; COM1 at 9600 8N1
 *   mov si,message
 * next: lodsb; or al,al; jz done
 *   mov ah,1; xor dx,dx; int 0x14; jmp next            ; send AL to COM1
 * done: hlt; jmp done
 */
const BOOT_CODE = 'fa31c08ed88ed0bc007cfbfcb400b0e331d2cd14be277cac08c07408b40131d2cd14ebf3f4ebfd';

export function tinyBootableImage(): Uint8Array {
  const disk = new Uint8Array(DISK_BYTES);
  const code = Buffer.from(BOOT_CODE, 'hex');
  // The message must start right after the code: `mov si` above points at 0x7c27.
  const message = Buffer.from(`${TINY_IMAGE_BANNER}\r\n\0`, 'latin1');
  disk.set(code, 0);
  disk.set(message, code.length);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  return disk;
}
