/** Lane colours, one per stem in campaign order. */
export const STEM_COLORS = [
  '#e0a84f',
  '#6fb7c9',
  '#9b8fe0',
  '#e07f6f',
  '#8fd18a',
  '#d99ad0',
  '#c9c36f',
  '#7f9be0',
]
