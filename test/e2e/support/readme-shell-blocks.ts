/** The ```sh blocks of one README section, in order. */
export function shellBlocksOf(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  // The next heading of any level from ## down (a shell comment's single # is no heading).
  const next = markdown.slice(start + heading.length + 2).search(/\n#{2,} /);
  const section = markdown.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}
