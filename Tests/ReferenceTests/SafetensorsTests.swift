import Foundation
import Testing
@testable import Reference

@Suite struct SafetensorsTests {
  /// A file from a raw header string and data bytes; `length` overrides the header length field.
  func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> Data {
    var n = (length ?? UInt64(header.utf8.count)).littleEndian
    var out = Data()
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(contentsOf: Array(header.utf8))
    out.append(contentsOf: data)
    return out
  }

  /// Expects the file to be rejected with a message containing `fragment`.
  func expectRejected(_ data: Data, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try SafetensorsFile(data: data)
      Issue.record(
        "accepted a bad file; expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch let e as SafetensorsError {
      #expect(
        e.message.contains(fragment), "message '\(e.message)' lacks '\(fragment)'",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func roundTripF32AndBF16() throws {
    var rng = SeededRandom(1)
    let a = rng.tensor([3, 5]), b = rng.tensor([7]), scalar = Tensor(shape: [], data: [2.5])
    let empty = Tensor(zeros: [0, 4])
    let bytes = try SafetensorsWriter.encode(
      [.init("a", a), .init("b.bf16", b, dtype: .bf16), .init("s", scalar), .init("e", empty)],
      metadata: ["format": "pt", "note": "q\"uote"])
    let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    #expect(n % 8 == 0, "header length \(n) is a multiple of 8")
    let f = try SafetensorsFile(data: bytes)
    #expect(f.metadata == ["format": "pt", "note": "q\"uote"])
    #expect(f.names == ["a", "b.bf16", "e", "s"])
    #expect(try f.tensor("a") == a)
    #expect(try f.tensor("s") == scalar)
    #expect(try f.tensor("e") == empty)
    let bb = try f.tensor("b.bf16")
    expectClose(bb, b, atol: 0, rtol: 1.0 / 256, "bf16 rounding")
    #expect(f.entries["b.bf16"]!.dtype == .bf16)
    // F32 (4-byte) tensors come before BF16 (2-byte) ones.
    #expect(f.entries["b.bf16"]!.byteRange.lowerBound == 4 * (15 + 1))
  }

  @Test func decodesF16AndBF16BitPatterns() throws {
    // F16 0x3C00 = 1, 0xC000 = −2; BF16 0x3F80 = 1, 0x4049 = 3.140625
    let header =
      #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"#
      + #""b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"#
    let f = try SafetensorsFile(data: file(header, data: [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x49, 0x40]))
    #expect(try f.tensor("h").data == [1, -2])
    #expect(try f.tensor("b").data == [1, 3.140625])
    #expect(bf16Bits(3.140625) == 0x4049)
    #expect(bf16Bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie rounds to even
    #expect(bf16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
  }

  @Test func hostileFiles() {
    let ok = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    let eight = [UInt8](repeating: 0, count: 8)
    expectRejected(Data([1, 2, 3]), "too short")
    expectRejected(file(ok, data: eight, length: 1 << 40), "exceeds")
    expectRejected(file(ok, data: eight, length: UInt64.max), "exceeds")
    expectRejected(file(ok, data: eight, length: 1000), "past the end")
    expectRejected(file(ok, data: [0, 0, 0]), "outside the 3-byte buffer")  // truncated data
    expectRejected(file(ok, data: eight + [0]), "cover 8")  // trailing bytes
    expectRejected(file("[1,2]   "), "does not start with '{'")
    expectRejected(file("{\"t\":   "), "not valid JSON")
    expectRejected(
      file(#"{"t":{"dtype":"Q9","shape":[2],"data_offsets":[0,8]}}"#, data: eight), "unknown dtype 'Q9'")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eight), "'t': shape")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, data: eight), "'t': shape")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[true],"data_offsets":[0,8]}}"#, data: eight), "'t': shape")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, data: eight), "missing shape")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eight), "needs 12 bytes")
    expectRejected(file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: eight), "outside")
    expectRejected(file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,-8]}}"#, data: eight), "outside")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, data: eight), "data_offsets must")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0, 99999999999999999999]}}"#, data: eight),
      "data_offsets must")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: eight),
      "overflows")
    expectRejected(
      file(#"{"t":{"dtype":"F32","shape":[2305843009213693952],"data_offsets":[0,8]}}"#, data: eight),
      "overflows")
    expectRejected(
      file(#"{"t":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#, data: [0, 0]), "whole bytes")
    let overlap =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    expectRejected(file(overlap, data: eight), "overlaps")
    let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
    expectRejected(file(gap, data: eight), "gap before tensor 'a'")
    expectRejected(file(#"{"__metadata__":{"k":1}}"#), "not a string")
    expectRejected(file(#"{"t":[1]}"#), "'t': entry is not an object")
    expectRejected(file("{\u{FFFD}"), "not valid JSON")
    var badUTF8 = file("{}  ")
    badUTF8[9] = 0xFF
    expectRejected(badUTF8, "not UTF-8")
  }

  @Test func readErrorsNameTheTensor() throws {
    let f = try SafetensorsFile(
      data: file(
        #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
        data: [UInt8](repeating: 0, count: 8)))
    #expect(throws: SafetensorsError("tensor 'ids': dtype I64 cannot be read as Float32")) {
      try f.tensor("ids")
    }
    #expect(throws: SafetensorsError("no tensor named 'x'")) { try f.tensor("x") }
  }

  @Test func readsIntegerTensors() throws {
    let header =
      #"{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"#
      + #""small":{"dtype":"I32","shape":[1],"data_offsets":[16,20]},"#
      + #""bytes":{"dtype":"U8","shape":[2],"data_offsets":[20,22]}}"#
    var data: [UInt8] = []
    for v in [Int64(7), Int64(-3)] { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    withUnsafeBytes(of: Int32(-9).littleEndian) { data += $0 }
    data += [250, 1]
    let f = try SafetensorsFile(data: file(header, data: data))
    #expect(try f.integers("ids").values == [7, -3])
    #expect(try f.integers("small").values == [-9])
    #expect(try f.integers("bytes").values == [250, 1])
    #expect(throws: SafetensorsError.self) { try f.tensor("ids") }
  }

  @Test func writerRejectsDuplicatesAndOddDtypes() {
    let t = Tensor(zeros: [1])
    #expect(throws: SafetensorsError.self) { try SafetensorsWriter.encode([.init("a", t), .init("a", t)]) }
    #expect(throws: SafetensorsError.self) { try SafetensorsWriter.encode([.init("a", t, dtype: .i64)]) }
  }
}
