import SwiftUI
import UIKit
import ZhifaKit

/// A record in the case: name, revision, sealed or still missing something.
struct RecordRowView: View {
    let row: RecordRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(verbatim: row.name).strikethrough(row.superseded)
                if row.revision > 1 { Text("record.revision \(Int(row.revision))").font(.caption).foregroundStyle(.secondary) }
                Spacer()
                if row.sealed { Image(systemName: "lock.fill").foregroundStyle(.green) }
            }
            if !row.missingFields.isEmpty {
                Text("record.missingFields \(row.missingFields.joined(separator: "、"))").font(.caption).foregroundStyle(.orange)
            }
            if !row.missingSignatures.isEmpty {
                Text("record.missingSignatures \(row.missingSignatures.joined(separator: "、"))").font(.caption).foregroundStyle(.orange)
            }
        }
    }
}

/// Thumbnails of the case's media (from the engine's thumbnail files).
struct MediaStrip: View {
    let media: [MediaInfo]

    var body: some View {
        ScrollView(.horizontal, showsIndicators: false) {
            HStack(spacing: 8) {
                ForEach(media, id: \.sha256) { m in
                    VStack(spacing: 2) {
                        thumbnail(m)
                            .frame(width: 72, height: 72)
                            .clipShape(RoundedRectangle(cornerRadius: 6))
                        Text(verbatim: m.uploadLabel).font(.caption2).foregroundStyle(.secondary)
                    }
                }
            }
        }
    }

    @ViewBuilder private func thumbnail(_ m: MediaInfo) -> some View {
        if let path = m.thumbPath, let image = UIImage(contentsOfFile: path) {
            Image(uiImage: image).resizable().scaledToFill()
        } else {
            ZStack {
                Color.secondary.opacity(0.15)
                Image(systemName: icon(m.mime)).foregroundStyle(.secondary)
            }
        }
    }

    private func icon(_ mime: String) -> String {
        if mime.hasPrefix("video") { return "video" }
        if mime.hasPrefix("audio") { return "waveform" }
        if mime.hasPrefix("image") { return "photo" }
        return "doc"
    }
}
