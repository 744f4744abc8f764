// The input of every importer: a file's name (a path, as the user gave it; importers read the
// model or dataset from its folders where a format keeps them there) and its text. Importers
// never touch the file system, so the same code runs in the command line, the site's build
// and a browser page where a reader drops in their own files.
export interface SourceFile {
  name: string;
  text: string;
}
