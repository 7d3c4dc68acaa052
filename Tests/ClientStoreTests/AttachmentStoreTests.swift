import ClientStore
import Foundation
import GRDB
import SyncCore
import Testing

/// A mono 16-bit PCM WAV of `seconds` at 8 kHz (telephone quality), with a tone that
/// depends on `tone` so different recordings have different bytes.
func makeWAV(seconds: Double, tone: Int = 440) -> Data {
    let rate = 8000
    let samples = Int(Double(rate) * seconds)
    var data = Data()
    func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + samples * 2))
    data.append(contentsOf: Array("WAVEfmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
    append(UInt32(rate)); append(UInt32(rate * 2)); append(UInt16(2)); append(UInt16(16))
    data.append(contentsOf: Array("data".utf8)); append(UInt32(samples * 2))
    for index in 0..<samples {
        append(Int16(8000 * sin(2 * Double.pi * Double(tone) * Double(index) / Double(rate))))
    }
    return data
}

@Suite("Audio format detection")
struct AudioFormatTests {
    @Test func recognisesEachFormatByContent() {
        #expect(AudioFormat.detect(header: [UInt8](makeWAV(seconds: 0.01).prefix(64))) == .wav)
        var ogg = [UInt8](repeating: 0, count: 64)
        ogg.replaceSubrange(0..<4, with: Array("OggS".utf8))
        ogg.replaceSubrange(28..<36, with: Array("OpusHead".utf8))
        #expect(AudioFormat.detect(header: ogg) == .oggOpus)
        #expect(AudioFormat.detect(header: Array("ID3\u{4}\0\0\0\0\0\0".utf8) + [UInt8](repeating: 0, count: 20)) == .mp3)
        #expect(AudioFormat.detect(header: [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 20)) == .mp3)
        #expect(AudioFormat.detect(header: [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [UInt8](repeating: 0, count: 20)) == .m4a)
    }

    @Test func refusesWhatIsNotAudio() {
        #expect(AudioFormat.detect(header: Array("%PDF-1.7\n".utf8)) == nil)
        #expect(AudioFormat.detect(header: Array("RIFF\0\0\0\0AVI LIST".utf8)) == nil)  // a video, not WAVE
        var oggVorbis = [UInt8](repeating: 0, count: 64)
        oggVorbis.replaceSubrange(0..<4, with: Array("OggS".utf8))
        oggVorbis.replaceSubrange(28..<35, with: [1] + Array("vorbis".utf8))
        #expect(AudioFormat.detect(header: oggVorbis) == nil)
        #expect(AudioFormat.detect(header: []) == nil)
    }
}

@Suite("Attachments and call recordings")
struct AttachmentStoreTests {
    @Test func importsInChunksAndExportsTheSameBytes() throws {
        let directory = try TemporaryDirectory()
        let wav = makeWAV(seconds: 160)  // ≈2.5 MB: three chunks
        let source = directory.file("call.wav")
        try wav.write(to: URL(fileURLWithPath: source))
        let database = try ClientDatabase.inMemory()
        let stored = try database.attachments.importRecording(at: source)
        #expect(stored.size == Int64(wav.count))
        #expect(stored.isComplete)
        #expect(stored.mediaType == "audio/wav")
        #expect(stored.sha256 == SHA256.hex(of: [UInt8](wav)))
        #expect(try database.attachments.pendingUploads().map(\.sha256) == [stored.sha256])

        let copy = directory.file("copy.wav")
        try database.attachments.export(stored.sha256, to: copy)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == wav)
        // Chunked reads line up with the server's resume points, inside a chunk too.
        #expect(try database.attachments.bytes(of: stored.sha256, from: 1_000_000) == wav.subdata(in: 1_000_000..<(1 << 20)))
    }

    @Test func theSameContentIsStoredOnce() throws {
        let directory = try TemporaryDirectory()
        try makeWAV(seconds: 1).write(to: URL(fileURLWithPath: directory.file("a.wav")))
        try makeWAV(seconds: 1).write(to: URL(fileURLWithPath: directory.file("renamed.wav")))
        let database = try ClientDatabase.inMemory()
        let first = try database.attachments.importRecording(at: directory.file("a.wav"))
        let second = try database.attachments.importRecording(at: directory.file("renamed.wav"))
        #expect(first == second)
        #expect(try database.attachments.pendingUploads().count == 1)
    }

    @Test func aFileThatIsNotAudioIsRefusedAndNothingIsStored() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("recording.wav")
        try Data("%PDF-1.7 this is a discharge letter".utf8).write(to: URL(fileURLWithPath: path))
        let database = try ClientDatabase.inMemory()
        #expect(throws: AttachmentError.notAudio(path: path)) { try database.attachments.importRecording(at: path) }
        #expect(throws: AttachmentError.unreadable(path: directory.file("missing.wav"), reason: "no such file")) {
            try database.attachments.importRecording(at: directory.file("missing.wav"))
        }
        #expect(try database.attachments.pendingUploads().isEmpty)
    }

    @Test func downloadsResumeByChunkAndADamagedDownloadIsDiscarded() throws {
        let wav = makeWAV(seconds: 100, tone: 300)  // ≈1.6 MB: two chunks
        let sha = SHA256.hex(of: [UInt8](wav))
        let database = try ClientDatabase.inMemory()
        try database.attachments.expect(sha256: sha, size: Int64(wav.count), mediaType: "audio/wav")
        #expect(try database.attachments.pendingDownloads().map(\.storedBytes) == [0])

        let chunk = AttachmentStore.chunkSize
        _ = try database.attachments.appendDownloaded(wav.prefix(chunk), to: sha, at: 0)
        // A cut here: the next round resumes at the stored length.
        #expect(try database.attachments.pendingDownloads().map(\.storedBytes) == [Int64(chunk)])
        var damaged = wav.subdata(in: chunk..<wav.count)
        damaged[10] ^= 0xFF
        #expect(throws: AttachmentError.self) { try database.attachments.appendDownloaded(damaged, to: sha, at: Int64(chunk)) }
        #expect(try database.attachments.pendingDownloads().map(\.storedBytes) == [0])

        _ = try database.attachments.appendDownloaded(wav.prefix(chunk), to: sha, at: 0)
        let done = try database.attachments.appendDownloaded(wav.subdata(in: chunk..<wav.count), to: sha, at: Int64(chunk))
        #expect(done.isComplete)
        #expect(try database.attachments.pendingDownloads().isEmpty)
    }

    @Test func attachingARecordingWritesASignedRecordThatOthersQueueForDownload() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("2026-11-23 call 张三.wav")
        try makeWAV(seconds: 2).write(to: URL(fileURLWithPath: path))
        let nurse = try ClientDatabase.inMemory()
        let patient = UUID()
        let recording = try nurse.callRecordings.attach(file: path, patientID: patient, ward: "CARD-1")
        #expect(recording.isOnDevice)
        #expect(!recording.isUploaded)
        #expect(recording.fileName == "2026-11-23 call 张三.wav")
        #expect(try nurse.callRecordings.recordings(ofPatient: patient) == [recording])

        let record = try #require(try nurse.writer.read { db in try nurse.syncRecords.record(recording.id, in: db) })
        #expect(record.isAppendOnly)
        #expect(record.kind == .callRecording)

        // Another workstation pulls the record: the audio is queued, not yet playable.
        let colleague = try ClientDatabase.inMemory()
        _ = try colleague.writer.write { db in try colleague.syncRecords.applyRemote([record], in: db) }
        let seen = try colleague.callRecordings.recordings(ofPatient: patient)
        #expect(seen.map(\.isOnDevice) == [false])
        #expect(try colleague.attachments.pendingDownloads().map(\.sha256) == [recording.sha256])
    }
}
