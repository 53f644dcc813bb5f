import PencilKit
import SwiftUI
import ZhifaKit

/// A PencilKit canvas for handwritten signatures (finger or Apple Pencil).
/// Reports the drawing and the canvas size after every stroke; changing
/// `clearToken` wipes it.
struct SignatureCanvas: UIViewRepresentable {
    let clearToken: Int
    let onChange: (PKDrawing, CGSize) -> Void

    func makeCoordinator() -> Coordinator { Coordinator(onChange: onChange) }

    func makeUIView(context: Context) -> PKCanvasView {
        let canvas = PKCanvasView()
        canvas.drawingPolicy = .anyInput
        canvas.tool = PKInkingTool(.pen, color: .black, width: 3)
        canvas.backgroundColor = .white
        canvas.isOpaque = true
        canvas.overrideUserInterfaceStyle = .light
        canvas.isScrollEnabled = false
        canvas.delegate = context.coordinator
        context.coordinator.clearToken = clearToken
        return canvas
    }

    func updateUIView(_ canvas: PKCanvasView, context: Context) {
        context.coordinator.onChange = onChange
        if context.coordinator.clearToken != clearToken {
            context.coordinator.clearToken = clearToken
            // The delegate fires for this change too; the caller already
            // reset its drawing, and state must not change during an update.
            context.coordinator.clearing = true
            canvas.drawing = PKDrawing()
            context.coordinator.clearing = false
        }
    }

    final class Coordinator: NSObject, PKCanvasViewDelegate {
        var onChange: (PKDrawing, CGSize) -> Void
        var clearToken = 0
        var clearing = false

        init(onChange: @escaping (PKDrawing, CGSize) -> Void) { self.onChange = onChange }

        func canvasViewDrawingDidChange(_ canvasView: PKCanvasView) {
            guard !clearing else { return }
            onChange(canvasView.drawing, canvasView.bounds.size)
        }
    }
}

extension PKDrawing {
    /// The strokes as the engine's `SignaturePad`: points in canvas
    /// coordinates, `t` in milliseconds since the first stroke began, and
    /// pressure as the pen force scaled to 0…1 (1 for a finger, whose
    /// force does not vary).
    func signaturePad(size: CGSize) -> SignaturePad {
        let start = strokes.map(\.path.creationDate).min() ?? Date()
        var maxForce: CGFloat = 0
        for stroke in strokes {
            for point in stroke.path { maxForce = Swift.max(maxForce, point.force) }
        }
        let pad: [[PadPoint]] = strokes.map { stroke in
            let offset = stroke.path.creationDate.timeIntervalSince(start)
            return stroke.path.map { point in
                let location = point.location.applying(stroke.transform)
                let ms = Swift.max(0, (offset + point.timeOffset) * 1000)
                let pressure = maxForce > 0 ? Swift.min(Swift.max(point.force / maxForce, 0), 1) : 1
                return PadPoint(x: Float(location.x), y: Float(location.y),
                                t: UInt32(Swift.min(ms, Double(UInt32.max))), pressure: Float(pressure))
            }
        }
        return SignaturePad(width: UInt32(Swift.max(size.width, 1).rounded()),
                            height: UInt32(Swift.max(size.height, 1).rounded()),
                            strokes: pad)
    }
}
