import Foundation

/// The audio formats a call recording may have, recognised by content, not by name: a
/// renamed `.wav` that is really a PDF is refused before it is stored or synced.
public enum AudioFormat: String, Sendable, CaseIterable, Codable {
    case wav, oggOpus, mp3, m4a

    public var mediaType: String {
        switch self {
        case .wav: "audio/wav"
        case .oggOpus: "audio/ogg; codecs=opus"
        case .mp3: "audio/mpeg"
        case .m4a: "audio/mp4"
        }
    }

    public var displayName: String {
        switch self {
        case .wav: "WAV"
        case .oggOpus: "Ogg Opus"
        case .mp3: "MP3"
        case .m4a: "M4A (AAC)"
        }
    }

    /// Bytes needed from the start of a file to recognise it.
    public static let sniffLength = 64

    /// The format of a file starting with `header`, or nil when it is none of ours.
    public static func detect(header: [UInt8]) -> AudioFormat? {
        func ascii(_ offset: Int, _ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return header.count >= offset + bytes.count && Array(header[offset..<offset + bytes.count]) == bytes
        }
        if ascii(0, "RIFF") && ascii(8, "WAVE") { return .wav }
        // An Ogg page whose first packet is an Opus identification header.
        if ascii(0, "OggS") && header.count >= 36 && ascii(28, "OpusHead") { return .oggOpus }
        // ISO base media: a `ftyp` box naming an audio-capable MPEG-4 brand.
        if ascii(4, "ftyp") {
            let brands = ["M4A ", "M4B ", "mp42", "mp41", "isom", "dash"]
            if brands.contains(where: { ascii(8, $0) }) { return .m4a }
        }
        if ascii(0, "ID3") { return .mp3 }
        // A bare MPEG audio frame: 11 sync bits, layer III, a valid bitrate and sample rate.
        if header.count >= 4, header[0] == 0xFF, header[1] & 0xE0 == 0xE0, header[1] & 0x06 == 0x02,
           header[2] & 0xF0 != 0xF0, header[2] & 0x0C != 0x0C {
            return .mp3
        }
        return nil
    }
}
