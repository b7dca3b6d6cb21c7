/// A unified diff of two texts by lines (Myers' O(ND) algorithm), with three lines of context, as `diff -u`
/// prints it. Line ends are kept, so a CRLF file diffs as CRLF.
public enum UnifiedDiff {
  public static func diff(old: [UInt8], new: [UInt8], path: String) -> String {
    let a = lines(old)
    let b = lines(new)
    let script = edits(a, b)
    guard script.contains(where: { $0.kind != .same }) else { return "" }
    let (from, to) = path.hasPrefix("/") ? (path, path) : ("a/" + path, "b/" + path)
    var out = "--- \(from)\n+++ \(to)\n"
    // Group into hunks with 3 lines of context.
    var i = 0
    while i < script.count {
      guard let start = script[i...].firstIndex(where: { $0.kind != .same }) else { break }
      var end = start
      var j = start
      while j < script.count {
        if script[j].kind != .same {
          end = j
          j += 1
          continue
        }
        // Run of equal lines: does another change come within 6?
        var k = j
        while k < script.count && script[k].kind == .same { k += 1 }
        if k < script.count && k - j <= 6 { j = k } else { break }
      }
      let lo = max(i, start - 3)
      let hi = min(script.count, end + 4)
      let hunk = script[lo..<hi]
      let oldStart = (hunk.first?.oldIndex ?? 0) + 1
      let newStart = (hunk.first?.newIndex ?? 0) + 1
      let oldCount = hunk.filter { $0.kind != .insert }.count
      let newCount = hunk.filter { $0.kind != .delete }.count
      out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
      for e in hunk {
        let text: String
        let prefix: String
        switch e.kind {
        case .same: prefix = " "; text = a[e.oldIndex]
        case .delete: prefix = "-"; text = a[e.oldIndex]
        case .insert: prefix = "+"; text = b[e.newIndex]
        }
        out += prefix + text
        if text.utf8.last != 10 { out += "\n\\ No newline at end of file\n" }
      }
      i = hi
    }
    return out
  }

  static func lines(_ bytes: [UInt8]) -> [String] {
    var out: [String] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 10 {
      out.append(String(decoding: bytes[start...i], as: UTF8.self))
      start = i + 1
    }
    if start < bytes.count { out.append(String(decoding: bytes[start...], as: UTF8.self)) }
    return out
  }

  enum Kind { case same, delete, insert }
  struct Edit {
    var kind: Kind
    var oldIndex: Int
    var newIndex: Int
  }

  /// Myers' shortest edit script.
  static func edits(_ a: [String], _ b: [String]) -> [Edit] {
    let n = a.count
    let m = b.count
    let maxD = n + m
    var v = [Int](repeating: 0, count: 2 * maxD + 2)
    var trace: [[Int]] = []
    let offset = maxD + 1
    outer: for d in 0...maxD {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]
        } else {
          x = v[offset + k - 1] + 1
        }
        var y = x - k
        while x < n && y < m && a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n && y >= m { break outer }
      }
    }
    // Backtrack.
    var x = n
    var y = m
    var script: [Edit] = []
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let vd = trace[d]
      let k = x - y
      let prevK: Int
      if k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
      let prevX = vd[offset + prevK]
      let prevY = prevX - prevK
      while x > prevX && y > prevY {
        x -= 1
        y -= 1
        script.append(Edit(kind: .same, oldIndex: x, newIndex: y))
      }
      if d > 0 {
        if x == prevX {
          y -= 1
          script.append(Edit(kind: .insert, oldIndex: x, newIndex: y))
        } else {
          x -= 1
          script.append(Edit(kind: .delete, oldIndex: x, newIndex: y))
        }
      }
    }
    return script.reversed()
  }
}
