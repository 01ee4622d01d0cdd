import { z } from 'zod';

/** An integer environment variable within [min, max], with one message naming what it is. */
export const boundedInt = (min: number, max: number, what: string) =>
  z.coerce
    .number({ error: `expected ${what} (integer ${min}-${max})` })
    .int({ error: `expected ${what} (integer ${min}-${max})` })
    .min(min, { error: `expected ${what} (integer ${min}-${max})` })
    .max(max, { error: `expected ${what} (integer ${min}-${max})` });
