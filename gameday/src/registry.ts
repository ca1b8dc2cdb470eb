/** Every drill by name, in the order `make gameday` runs them (the order of DRILL_NAMES). */
import type { Drill, DrillName } from './drill.ts';

export const DRILLS: Partial<Record<DrillName, Drill>> = {};
