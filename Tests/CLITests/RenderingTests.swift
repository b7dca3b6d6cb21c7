import Foundation
import Testing
import TestSupport

/// Golden tests of the rendered text diagnostics (`fixtures/cli/render/*.mdl` → `*.txt`): header line, source
/// line with gutter, caret under the right character with wide and combining characters, tabs and control
/// bytes before it, help and note lines, summary line.
@Suite struct RenderingTests {
  static let directory = Metalint.fixtures.appendingPathComponent("render")
  static let files = FixtureRunner.files(under: directory)

  @Test func fixturesPresent() { #expect(!Self.files.isEmpty) }

  @Test(arguments: files)
  func render(_ name: String) {
    let r = Metalint.run(["check", name], in: Self.directory)
    #expect(r.stderr == "")
    #expect(r.status == (r.stdout.contains(": error: ") ? 1 : 0))
    Golden.check(r.stdout, against: Self.directory.appendingPathComponent(
      (name as NSString).deletingPathExtension + ".txt"))
  }

  /// Colour only on a terminal: under a pseudo-terminal (`script`) escape codes appear, unless `NO_COLOR` is
  /// set or `--no-color` given; through a pipe or file there are none.
  @Test(.enabled(if: Metalint.available(["script", "--version"]), "needs script(1) from util-linux for a pty"))
  func colourOnlyOnATerminal() throws {
    let dir = try TempDir(["m.mdl": Programs.dropped])
    defer { dir.remove() }
    let command = "'\(Metalint.binary.path)' check m.mdl"
    func underPTY(_ cmd: String, _ env: [String: String]) -> Outcome {
      Metalint.shell(["script", "-qec", cmd, "/dev/null"], in: dir.url, env: env)
    }
    let tty = underPTY(command, ["TERM": "xterm"])
    #expect(tty.status == 1)
    #expect(tty.stdout.contains("\u{1B}["), "\(tty)")
    #expect(!underPTY(command, ["TERM": "xterm", "NO_COLOR": "1"]).stdout.contains("\u{1B}"))
    #expect(!underPTY(command + " --no-color", ["TERM": "xterm"]).stdout.contains("\u{1B}"))
    #expect(!underPTY(command, ["TERM": "dumb"]).stdout.contains("\u{1B}"))
    #expect(!Metalint.run(["check", "m.mdl"], in: dir.url, env: ["TERM": "xterm"]).stdout.contains("\u{1B}"))
    // Machine formats never carry colour.
    let json = underPTY("'\(Metalint.binary.path)' check m.mdl --format json", ["TERM": "xterm"])
    #expect(!json.stdout.contains("\u{1B}"))
  }
}
