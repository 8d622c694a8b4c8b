import type { ConformanceCase } from '../case.js';

export const cases: ConformanceCase[] = [];
