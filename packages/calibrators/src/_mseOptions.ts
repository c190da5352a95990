/** Checks the grid and bins options of the searching observers. */
export function _searchSettings(
  name: string,
  options: { gridSize?: number; bins?: number },
  defaults: { gridSize: number; bins: number },
): { gridSize: number; bins: number } {
  const gridSize = options.gridSize ?? defaults.gridSize;
  if (!Number.isInteger(gridSize) || gridSize < 1 || gridSize > 1000) {
    throw new RangeError(`${name}: gridSize must be an integer in 1..1000, got ${String(gridSize)}`);
  }
  const bins = options.bins ?? defaults.bins;
  if (!Number.isInteger(bins) || bins < 2 || bins > 2 ** 24) {
    throw new RangeError(`${name}: bins must be an integer in 2..2^24, got ${String(bins)}`);
  }
  return { gridSize, bins };
}
