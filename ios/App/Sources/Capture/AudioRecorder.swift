import AVFoundation
import Combine
import Foundation

/// Sound recording (AAC in .m4a) to the temporary directory.
@MainActor
final class AudioRecorder: ObservableObject {
    @Published private(set) var recording = false
    @Published private(set) var failure: String?

    private var recorder: AVAudioRecorder?

    /// Asks for the microphone, then records until `stop()`.
    func start() {
        AVAudioSession.sharedInstance().requestRecordPermission { granted in
            Task { @MainActor in
                if granted { self.begin() } else { self.failure = String(localized: "capture.micDenied") }
            }
        }
    }

    /// Stops and returns the file, if one was recorded.
    func stop() -> URL? {
        guard let recorder else { return nil }
        recorder.stop()
        self.recorder = nil
        recording = false
        try? AVAudioSession.sharedInstance().setActive(false, options: .notifyOthersOnDeactivation)
        return recorder.url
    }

    private func begin() {
        do {
            let session = AVAudioSession.sharedInstance()
            try session.setCategory(.playAndRecord, mode: .default, options: [.defaultToSpeaker])
            try session.setActive(true)
            let url = CameraController.temporaryFile("m4a")
            let settings: [String: Any] = [
                AVFormatIDKey: Int(kAudioFormatMPEG4AAC),
                AVSampleRateKey: 44_100,
                AVNumberOfChannelsKey: 1,
                AVEncoderAudioQualityKey: AVAudioQuality.high.rawValue,
            ]
            let recorder = try AVAudioRecorder(url: url, settings: settings)
            guard recorder.record() else {
                failure = String(localized: "capture.audioFailed")
                return
            }
            self.recorder = recorder
            recording = true
            failure = nil
        } catch {
            failure = error.localizedDescription
        }
    }
}
