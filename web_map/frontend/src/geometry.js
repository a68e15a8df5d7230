// Small geometry helpers for what the map draws itself (camera fields of view).
const EARTH = 6378137;

// A point `distance` metres from [lon, lat] towards `bearing` degrees (spherical, fine at 100 m).
export function offset([lon, lat], bearing, distance) {
  const rad = (bearing * Math.PI) / 180;
  const dLat = (distance * Math.cos(rad)) / EARTH;
  const dLon = (distance * Math.sin(rad)) / (EARTH * Math.cos((lat * Math.PI) / 180));
  return [lon + (dLon * 180) / Math.PI, lat + (dLat * 180) / Math.PI];
}

// The field-of-view sector of a camera as a GeoJSON polygon ring.
export function cone(position, bearing, fov, range, steps = 16) {
  const ring = [position];
  for (let i = 0; i <= steps; i += 1) ring.push(offset(position, bearing - fov / 2 + (fov * i) / steps, range));
  ring.push(position);
  return ring;
}
