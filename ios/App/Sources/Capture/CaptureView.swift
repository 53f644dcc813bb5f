import SwiftUI
import UIKit
import ZhifaKit

/// Evidence capture for a record: photo or video (camera) or sound
/// (microphone). Each file goes to the temporary directory, is attached to
/// the record with the GPS position (the engine copies it into its store),
/// and the temporary file is deleted.
@MainActor
struct CaptureView: View {
    enum Mode: Hashable { case photo, video, audio }

    let caseId: String
    let recordId: String

    @EnvironmentObject private var model: AppModel
    @StateObject private var camera = CameraController()
    @StateObject private var audio = AudioRecorder()
    @StateObject private var location = LocationProvider()
    @State private var mode: Mode = .photo
    @State private var attached: [MediaInfo] = []
    @State private var busy = false
    @State private var error: String?

    var body: some View {
        VStack(spacing: 12) {
            Picker("capture.mode", selection: $mode) {
                Text("capture.photo").tag(Mode.photo)
                Text("capture.video").tag(Mode.video)
                Text("capture.audio").tag(Mode.audio)
            }
            .pickerStyle(.segmented)
            .disabled(camera.recording || audio.recording)
            .padding(.horizontal)

            if mode == .audio {
                audioPanel.frame(maxHeight: .infinity)
            } else {
                CameraPreview(session: camera.session)
                    .overlay(alignment: .topLeading) {
                        if camera.recording { StateTag(text: String(localized: "capture.recording"), color: .red).padding(8) }
                    }
            }

            shutter
            ErrorLine(message: error ?? camera.failure ?? audio.failure).padding(.horizontal)
            if !attached.isEmpty { MediaStrip(media: attached).padding(.horizontal) }
        }
        .padding(.vertical)
        .navigationTitle(Text("capture.title"))
        .navigationBarTitleDisplayMode(.inline)
        .onAppear {
            camera.onFile = { url in attach(url) }
            if mode != .audio { camera.start() }
            location.request()
        }
        // The recorder and a running capture session (which has the
        // microphone as an input) would both claim the audio session.
        .onChange(of: mode) { newMode in
            if newMode == .audio { camera.stop() } else { camera.start() }
        }
        .onDisappear {
            camera.stopRecording()
            camera.stop()
            if let url = audio.stop() { try? FileManager.default.removeItem(at: url) }
        }
    }

    private var audioPanel: some View {
        VStack(spacing: 8) {
            Image(systemName: audio.recording ? "waveform.circle.fill" : "mic.circle")
                .font(.system(size: 96))
                .foregroundStyle(audio.recording ? Color.red : Color.secondary)
            Text(LocalizedStringKey(audio.recording ? "capture.recording" : "capture.audioHint")).foregroundStyle(.secondary)
        }
    }

    @ViewBuilder private var shutter: some View {
        HStack {
            if busy { ProgressView() }
            switch mode {
            case .photo:
                Button { camera.takePhoto() } label: { Label("capture.takePhoto", systemImage: "camera.circle.fill") }
            case .video:
                Button { camera.recording ? camera.stopRecording() : camera.startRecording() } label: {
                    Label(LocalizedStringKey(camera.recording ? "capture.stop" : "capture.startVideo"),
                          systemImage: camera.recording ? "stop.circle.fill" : "record.circle")
                }
            case .audio:
                Button {
                    if audio.recording {
                        if let url = audio.stop() { attach(url) }
                    } else {
                        audio.start()
                    }
                } label: {
                    Label(LocalizedStringKey(audio.recording ? "capture.stop" : "capture.startAudio"),
                          systemImage: audio.recording ? "stop.circle.fill" : "mic.circle.fill")
                }
            }
        }
        .font(.title2)
        .buttonStyle(.borderedProminent)
        .tint(camera.recording || audio.recording ? Color.red : Color.accentColor)
        .disabled(busy)
    }

    /// Attaches a captured file to the record, then deletes the temporary copy.
    @MainActor private func attach(_ url: URL) {
        busy = true
        error = nil
        let gps = location.geoPoint
        Task {
            defer {
                busy = false
                try? FileManager.default.removeItem(at: url)
            }
            do {
                let media = try await model.core.attach(caseId: caseId, recordId: recordId, path: url.path, gps: gps)
                attached.append(media)
            } catch {
                self.error = model.message(for: error)
            }
        }
    }
}
