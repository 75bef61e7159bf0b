import Foundation
import HoistCore
import Testing

@Suite("JSONWriter: string escaping")
struct JSONStringEscapingTests {
    func written(_ s: String, htmlSafe: Bool) -> String {
        var w = JSONWriter()
        w.htmlSafe = htmlSafe
        w.string(s)
        return w.string
    }

    @Test(arguments: [false, true]) func exactEscapes(htmlSafe: Bool) {
        #expect(written("plain-ascii_key.1", htmlSafe: htmlSafe) == #""plain-ascii_key.1""#)
        #expect(written("a\"b\\c\nd\re\tf", htmlSafe: htmlSafe) == #""a\"b\\c\nd\re\tf""#)
        #expect(written("\u{01}x\u{1F}", htmlSafe: htmlSafe) == #""\u0001x\u001f""#)
        #expect(written("", htmlSafe: htmlSafe) == #""""#)
        #expect(written("é€😀", htmlSafe: htmlSafe) == "\"é€😀\"")
        if htmlSafe {
            // Go's encoding/json: <, >, &, U+2028 and U+2029 escaped; \b and \f as \u00XX; DEL raw.
            #expect(written("<a&b>\u{2028}\u{2029}", htmlSafe: true) == #""\u003ca\u0026b\u003e\u2028\u2029""#)
            #expect(written("\u{08}\u{0C}\u{7F}", htmlSafe: true) == "\"\\u0008\\u000c\u{7F}\"")
        } else {
            // protojson: those stay as they are; \b, \f short forms; DEL escaped.
            #expect(written("<a&b>\u{2028}", htmlSafe: false) == "\"<a&b>\u{2028}\"")
            #expect(written("\u{08}\u{0C}\u{7F}", htmlSafe: false) == #""\b\f\u007f""#)
        }
    }

    /// Every ASCII byte, at the start, middle and end of runs of plain text, reads back unchanged.
    @Test(arguments: [false, true]) func everyAsciiByteRoundTrips(htmlSafe: Bool) throws {
        for byte in UInt8(0)...UInt8(0x7F) {
            let c = String(UnicodeScalar(byte))
            for s in [c, "ab" + c, c + "cd", "ab" + c + "cd" + c + c + "e\u{2028}€"] {
                let json = written(s, htmlSafe: htmlSafe)
                let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
                #expect(decoded as? String == s, "byte \(byte): \(json)")
            }
        }
    }
}
