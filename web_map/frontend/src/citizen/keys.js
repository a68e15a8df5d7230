// The citizen's secret key of each report filed on this device (shown once by the server), by code.
const PREFIX = 'toancanh:phan-anh:key:';

export const keyStore = {
  remember(code, key) {
    try {
      localStorage.setItem(PREFIX + code, key);
    } catch {
      // private browsing or storage full: the citizen still has the key on screen
    }
  },
  recall(code) {
    try {
      return localStorage.getItem(PREFIX + code) || '';
    } catch {
      return '';
    }
  },
};
