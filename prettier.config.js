// `npm run format` / `npm run format:check`: the project's existing layout (single quotes in TypeScript, double quotes
// in the Dataform JavaScript, semicolons, trailing commas). 210 columns is the width that changes the fewest files of
// the tree as it was written (197 of 334 code files; 120 columns would change 286, 150 columns 244).
export default {
  printWidth: 210,
  singleQuote: true,
  trailingComma: 'all',
  overrides: [{ files: ['definitions/**', 'includes/**'], options: { singleQuote: false } }],
};
