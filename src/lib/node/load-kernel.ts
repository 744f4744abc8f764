// Loads the kernel in Node from the built .wasm next to the library.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Kernel } from "../kernel.js";

export const KERNEL_PATH = fileURLToPath(new URL("../wasm/kernel.wasm", import.meta.url));

export async function loadKernel(path = KERNEL_PATH): Promise<Kernel> {
  if (!existsSync(path)) throw new Error(`${path} is missing: build the kernel with \`npm run build:kernel\``);
  return Kernel.load(readFileSync(path));
}
