// Small dense linear algebra on p×p matrices (p ≤ 8) stored row-major in linear memory.
import { getF, setF } from "./layout";

/**
 * Solves A·x = b for symmetric positive definite A (k×k, leading dimension ld) by Cholesky,
 * in place: A is overwritten by its factor, b by x. Returns false if A is not positive definite.
 */
export function choleskySolve(a: usize, b: usize, k: i32, ld: i32): bool {
  for (let j = 0; j < k; j++) {
    let d = getF(a, j * ld + j);
    for (let m = 0; m < j; m++) {
      const l = getF(a, j * ld + m);
      d -= l * l;
    }
    if (!(d > 0.0)) return false;
    d = Math.sqrt(d);
    setF(a, j * ld + j, d);
    for (let i = j + 1; i < k; i++) {
      let s = getF(a, i * ld + j);
      for (let m = 0; m < j; m++) s -= getF(a, i * ld + m) * getF(a, j * ld + m);
      setF(a, i * ld + j, s / d);
    }
  }
  for (let i = 0; i < k; i++) {
    let s = getF(b, i);
    for (let m = 0; m < i; m++) s -= getF(a, i * ld + m) * getF(b, m);
    setF(b, i, s / getF(a, i * ld + i));
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = getF(b, i);
    for (let m = i + 1; m < k; m++) s -= getF(a, m * ld + i) * getF(b, m);
    setF(b, i, s / getF(a, i * ld + i));
  }
  return true;
}

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric k×k matrix (leading dimension ld):
 * A is overwritten (its diagonal holds the eigenvalues), V receives the eigenvectors as
 * columns. Jacobi is slow for big matrices but exact and simple for p ≤ 8, and it gives the
 * condition number and a pseudo-inverse for the non-identifiable cases.
 */
export function jacobiEigen(a: usize, v: usize, k: i32, ld: i32): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) setF(v, i * ld + j, i == j ? 1.0 : 0.0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off: f64 = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) off += Math.abs(getF(a, i * ld + j));
    if (off == 0.0) return;
    for (let pi = 0; pi < k; pi++) {
      for (let q = pi + 1; q < k; q++) {
        const apq = getF(a, pi * ld + q);
        if (apq == 0.0) continue;
        const app = getF(a, pi * ld + pi);
        const aqq = getF(a, q * ld + q);
        const theta = (aqq - app) / (2.0 * apq);
        const t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        const c = 1.0 / Math.sqrt(t * t + 1.0);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = getF(a, r * ld + pi);
          const arq = getF(a, r * ld + q);
          setF(a, r * ld + pi, c * arp - s * arq);
          setF(a, r * ld + q, s * arp + c * arq);
        }
        for (let r = 0; r < k; r++) {
          const apr = getF(a, pi * ld + r);
          const aqr = getF(a, q * ld + r);
          setF(a, pi * ld + r, c * apr - s * aqr);
          setF(a, q * ld + r, s * apr + c * aqr);
        }
        for (let r = 0; r < k; r++) {
          const vrp = getF(v, r * ld + pi);
          const vrq = getF(v, r * ld + q);
          setF(v, r * ld + pi, c * vrp - s * vrq);
          setF(v, r * ld + q, s * vrp + c * vrq);
        }
      }
    }
  }
}
