/**
 * Writes text to standard output and waits until it is handed to the OS, so that a large
 * output to a pipe is complete before the process exits. A closed pipe (`| head`) ends the
 * write quietly.
 */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'EPIPE') reject(error);
      else resolve();
    });
  });
}
