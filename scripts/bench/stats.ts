/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/** Small statistics for the benchmark: medians, percentiles, ratios, tables. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

export const median = (values: number[]) => percentile(values, 50);

/** Formats milliseconds with a precision that suits their size. */
export function ms(value: number): string {
	if (!Number.isFinite(value)) return 'n/a';
	if (value >= 100) return `${value.toFixed(0)} ms`;
	if (value >= 1) return `${value.toFixed(2)} ms`;
	return `${(value * 1000).toFixed(0)} µs`;
}

export function table(header: string[], rows: string[][]): string {
	const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
	return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export interface Stat {
	p50: number;
	p95: number;
	max: number;
}

export const statOf = (values: number[]): Stat => ({ p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) });

export const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
