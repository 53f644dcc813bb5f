import AVFoundation
import Combine
import UIKit

/// The back camera for photos (AVCapturePhotoOutput) and video with sound
/// (AVCaptureMovieFileOutput). Captured files are written to the temporary
/// directory and handed to `onFile`; the caller attaches and deletes them.
final class CameraController: NSObject, ObservableObject, @unchecked Sendable {
    let session = AVCaptureSession()
    @Published private(set) var recording = false
    @Published private(set) var failure: String?

    /// Called on the main queue with each finished file.
    var onFile: ((URL) -> Void)?

    private let photoOutput = AVCapturePhotoOutput()
    private let movieOutput = AVCaptureMovieFileOutput()
    private let queue = DispatchQueue(label: "cn.zhifa.camera")
    private var configured = false

    /// Asks for camera and microphone access, then starts the session.
    func start() {
        AVCaptureDevice.requestAccess(for: .video) { granted in
            guard granted else {
                self.fail(String(localized: "capture.cameraDenied"))
                return
            }
            AVCaptureDevice.requestAccess(for: .audio) { _ in
                self.queue.async {
                    self.configure()
                    if !self.session.isRunning { self.session.startRunning() }
                }
            }
        }
    }

    func stop() {
        queue.async { if self.session.isRunning { self.session.stopRunning() } }
    }

    func takePhoto() {
        queue.async {
            guard Self.canCapture(self.photoOutput) else {
                self.fail(String(localized: "capture.noCamera"))
                return
            }
            let settings = AVCapturePhotoSettings(format: [AVVideoCodecKey: AVVideoCodecType.jpeg])
            self.photoOutput.capturePhoto(with: settings, delegate: self)
        }
    }

    func startRecording() {
        queue.async {
            guard !self.movieOutput.isRecording else { return }
            guard Self.canCapture(self.movieOutput) else {
                self.fail(String(localized: "capture.noCamera"))
                return
            }
            let url = Self.temporaryFile("mov")
            self.movieOutput.startRecording(to: url, recordingDelegate: self)
            DispatchQueue.main.async { self.recording = true }
        }
    }

    func stopRecording() {
        queue.async { if self.movieOutput.isRecording { self.movieOutput.stopRecording() } }
    }

    private func configure() {
        guard !configured else { return }
        session.beginConfiguration()
        session.sessionPreset = .high
        if let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
           let input = try? AVCaptureDeviceInput(device: camera), session.canAddInput(input) {
            session.addInput(input)
        } else {
            fail(String(localized: "capture.noCamera"))
        }
        if let mic = AVCaptureDevice.default(for: .audio),
           let input = try? AVCaptureDeviceInput(device: mic), session.canAddInput(input) {
            session.addInput(input)
        }
        if session.canAddOutput(photoOutput) { session.addOutput(photoOutput) }
        if session.canAddOutput(movieOutput) { session.addOutput(movieOutput) }
        session.commitConfiguration()
        configured = true
    }

    private func fail(_ message: String) {
        DispatchQueue.main.async { self.failure = message }
    }

    private func deliver(_ url: URL) {
        DispatchQueue.main.async { self.onFile?(url) }
    }

    /// Whether `output` has an active and enabled video connection: without
    /// one (no camera, simulator) capturePhoto and startRecording raise an
    /// Objective-C exception instead of failing.
    private static func canCapture(_ output: AVCaptureOutput) -> Bool {
        guard let connection = output.connection(with: .video) else { return false }
        return connection.isActive && connection.isEnabled
    }

    static func temporaryFile(_ ext: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent(UUID().uuidString)
            .appendingPathExtension(ext)
    }
}

extension CameraController: AVCapturePhotoCaptureDelegate {
    func photoOutput(_ output: AVCapturePhotoOutput, didFinishProcessingPhoto photo: AVCapturePhoto, error: Error?) {
        guard error == nil, let data = photo.fileDataRepresentation() else {
            fail(error?.localizedDescription ?? String(localized: "capture.photoFailed"))
            return
        }
        let url = Self.temporaryFile("jpg")
        do {
            try data.write(to: url)
            deliver(url)
        } catch {
            fail(error.localizedDescription)
        }
    }
}

extension CameraController: AVCaptureFileOutputRecordingDelegate {
    func fileOutput(_ output: AVCaptureFileOutput, didFinishRecordingTo outputFileURL: URL,
                    from connections: [AVCaptureConnection], error: Error?) {
        DispatchQueue.main.async { self.recording = false }
        // A recording stopped by a limit still has a usable file.
        let finished = (error as NSError?)?.userInfo[AVErrorRecordingSuccessfullyFinishedKey] as? Bool ?? (error == nil)
        if finished { deliver(outputFileURL) } else { fail(error?.localizedDescription ?? "") }
    }
}
