import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL
import SwiftCodeGen

/// `metalint compile`: emit Swift for the program's layers.
enum CompileCommand: Command {
  static let name = "compile"
  static let abstract = "Generate Swift layers from ModelDSL (one file per .mdl file, plus Prelude.swift)."
  static let usage = "metalint compile PATH… --output DIR"
  static let discussion = """
    The program is checked first: a program with error findings is refused (they are printed as 'check'
    prints them, exit 1) and nothing is written. The generated files import the Reference module; context
    parameters without a default are non-optional, so the Swift compiler refuses a call that drops one.
    A construct with no Swift form is reported like a finding, every one of the program at once, and
    nothing is written.

    EXIT STATUS: 0 written; 1 the program has errors or a construct has no Swift form; 2 bad options or files.
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["output"], flags: [])
    guard let output = o.values["output"] else { throw UsageError("'compile' needs --output DIR") }
    guard !o.positional.isEmpty else { throw UsageError("'compile' needs at least one PATH") }
    guard let result = try Inputs.errorFreeProgram(o.positional) else { return 1 }
    let generated: [(name: String, source: String)]
    do {
      generated = try SwiftGenerator.generate(result.program)
    } catch let e as SwiftGenerator.Failure {
      printError(e.description)
      return 1
    }
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
      throw UsageError("\(output): cannot create directory")
    }
    for (name, source) in generated {
      let path = output.hasSuffix("/") ? output + name : output + "/" + name
      let old = fm.contents(atPath: path).map { [UInt8]($0) } ?? []
      if fm.fileExists(atPath: path) {
        try SafeWriter.write(Array(source.utf8), to: path, expectedOriginal: old)
      } else {
        guard fm.createFile(atPath: path, contents: Data(source.utf8)) else {
          throw UsageError("\(path): cannot write file")
        }
      }
    }
    printOut("wrote \(generated.count) file\(generated.count == 1 ? "" : "s") to \(output)\n")
    return 0
  }
}
