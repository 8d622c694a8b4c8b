// `npm run format` / `npm run format:check`: the project's existing layout (single quotes in TypeScript, double quotes
// in the Dataform JavaScript, semicolons, trailing commas). 210 columns is the width that changes the fewest of the
// tree's 334 code files as they were written: 197 (120 columns: 286, 150: 244, 180: 204, 200: 199, 250: 199).
export default {
  printWidth: 210,
  singleQuote: true,
  trailingComma: 'all',
  overrides: [{ files: ['definitions/**', 'includes/**'], options: { singleQuote: false } }],
};
