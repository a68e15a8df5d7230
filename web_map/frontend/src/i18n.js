// Interface strings: Vietnamese first, English second. Never inline strings elsewhere.
export const STRINGS = {
  vi: {title: 'Toàn Cảnh – Bản đồ điều hành', layers: 'Lớp dữ liệu', loading: 'Đang tải…'},
  en: {title: 'Toàn Cảnh – Operations map', layers: 'Layers', loading: 'Loading…'},
};

export function t(key, lang = document.documentElement.lang || 'vi') {
  return (STRINGS[lang] || STRINGS.vi)[key] ?? STRINGS.vi[key] ?? key;
}
