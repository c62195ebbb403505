/** A fake clock for tests: each call is one second after the previous one, from 2024-05-01T12:00:00Z. */
export function steppingClock(start = Date.UTC(2024, 4, 1, 12, 0, 0)): () => Date {
  let time = start - 1000;
  return () => new Date((time += 1000));
}
