/** Hands a file to the browser's downloads. */
export function downloadFile(fileName: string, data: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the blob after the click returns; keep it a while, as FileSaver.js does.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
