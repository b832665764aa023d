// The .editorconfig text rules the compiler does not check (IDE0055, a build error, checks the layout of C# code): every
// C# file is UTF-8 without a byte order mark, has LF line ends and ends with a new line. Prints each file that breaks a
// rule and exits 1; 'dotnet format CarTLabPipeline.sln' fixes all three. Run by ./test.sh: node eng/check-text.mjs
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.cs"], { cwd: root })
  .toString("utf8").split("\0").filter(Boolean);
const problems = [];
for (const file of files) {
  let bytes;
  try {
    bytes = readFileSync(join(root, file));
  } catch {
    continue; // deleted in the work tree, not yet in the index
  }
  if (bytes.length === 0) continue;
  if (bytes[bytes.length - 1] !== 0x0a) problems.push(`${file}: no new line at the end of the file`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) problems.push(`${file}: starts with a byte order mark (charset = utf-8 asks for none)`);
  if (bytes.includes(0x0d)) problems.push(`${file}: CR line ends (end_of_line = lf)`);
}
if (problems.length > 0) {
  for (const p of problems) console.log(p);
  console.log("text: run 'dotnet format CarTLabPipeline.sln' to fix the files above");
  process.exit(1);
}
console.log(`text: clean (${files.length} C# files end with a new line, LF line ends, no byte order mark)`);
