import Testing
@testable import ModelDSL

/// Columns count Unicode scalars, not bytes (spec §7), and every line-break style ends a line.
@Suite struct SourceLocationTests {
  @Test func columnsCountScalarsNotBytes() {
    let file = SourceFile(id: 0, path: "t.mdl", bytes: Array("let é = \"日本\" + x\n".utf8))
    let x = Array("let é = \"日本\" + ".utf8).count
    #expect(file.lineColumn(of: x) == (1, 16))
  }

  @Test func crlfAndLoneCREndLines() {
    let file = SourceFile(id: 0, path: "t.mdl", bytes: Array("a\r\nb\rc\n".utf8))
    #expect(file.lineStarts == [0, 3, 5, 7])
    #expect(file.lineText(0) == "a")
    #expect(file.lineColumn(of: 5) == (3, 1))
  }
}
