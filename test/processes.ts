/** Whether a process exists (signal 0): for the tests that a cancelled run leaves no process behind. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
