// After `observable build`: a placeholder dist/manifest.json saying this is not a snapshot, so
// pages that look for their snapshot's manifest find an answer instead of a 404.
// `npm run snapshot` replaces it with the real manifest in the snapshot folder.
import { writeFileAtomic } from "../src/lib/node/atomic.js";

writeFileAtomic("dist/manifest.json", JSON.stringify({ snapshot: false, id: null, note: "a development build; `npm run snapshot` writes the real manifest" }, null, 1) + "\n");
