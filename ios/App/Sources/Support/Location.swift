import Combine
import CoreLocation
import Foundation
import ZhifaKit

/// One-shot location for 亮证 and captured media: asks for "when in use"
/// permission and the current position.
@MainActor
final class LocationProvider: NSObject, ObservableObject, CLLocationManagerDelegate {
    @Published private(set) var location: CLLocation?
    @Published private(set) var denied = false
    @Published private(set) var locating = false

    private let manager = CLLocationManager()

    override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyNearestTenMeters
    }

    /// The last position as the engine's `GeoPoint`.
    var geoPoint: GeoPoint? {
        location.map { GeoPoint(lat: $0.coordinate.latitude, lon: $0.coordinate.longitude) }
    }

    /// Asks for permission if needed, then for one position.
    func request() {
        switch manager.authorizationStatus {
        case .notDetermined:
            manager.requestWhenInUseAuthorization()
        case .denied, .restricted:
            denied = true
        default:
            locating = true
            manager.requestLocation()
        }
    }

    nonisolated func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        let status = manager.authorizationStatus
        Task { @MainActor in
            self.denied = status == .denied || status == .restricted
            if status == .authorizedWhenInUse || status == .authorizedAlways {
                self.locating = true
                self.manager.requestLocation()
            }
        }
    }

    nonisolated func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        let last = locations.last
        Task { @MainActor in
            self.locating = false
            if let last { self.location = last }
        }
    }

    nonisolated func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        Task { @MainActor in self.locating = false }
    }
}

extension GeoPoint {
    /// "38.040000, 114.500000".
    var text: String { String(format: "%.6f, %.6f", lat, lon) }
}
