// The citizens' pages' strings: Vietnamese first, English second (?lang=en). Never inline strings elsewhere.
export const STRINGS = {
  vi: {
    formTitle: 'Gửi phản ánh, kiến nghị',
    intro: 'Báo cho chính quyền sự việc bạn gặp. Bạn sẽ nhận một mã để theo dõi việc xử lý.',
    category: 'Lĩnh vực', chooseCategory: '— Chọn lĩnh vực —',
    title: 'Tiêu đề', titleHint: 'Tóm tắt sự việc trong một câu',
    description: 'Nội dung', descriptionHint: 'Ở đâu, từ khi nào, ảnh hưởng ra sao…',
    photos: 'Ảnh', photosHint: 'Tối đa 3 ảnh, mỗi ảnh không quá 5 MB. Vị trí và thông tin máy ảnh trong ảnh được xoá trước khi lưu.',
    tooManyPhotos: 'Chỉ được gửi tối đa 3 ảnh.',
    photoTooBig: (name) => `Ảnh ${name} lớn hơn 5 MB: hãy chọn ảnh nhỏ hơn.`,
    location: 'Vị trí', locationHint: 'Chạm vào bản đồ để đặt điểm, hoặc dùng vị trí hiện tại của bạn.',
    useLocation: 'Dùng vị trí của tôi', locating: 'Đang xác định vị trí…',
    noLocation: 'Không lấy được vị trí của điện thoại: hãy chạm vào bản đồ.',
    needLocation: 'Hãy chọn vị trí trên bản đồ.', pointAt: 'Đã chọn điểm',
    contact: 'Thông tin liên hệ (không bắt buộc)',
    contactNote: 'Họ tên, số điện thoại và e-mail chỉ cơ quan xử lý xem được, không bao giờ được công khai.',
    fullName: 'Họ và tên', phone: 'Số điện thoại', email: 'E-mail',
    check: 'Câu hỏi kiểm tra', checkHint: 'Trả lời phép tính để gửi.',
    needCategory: 'Hãy chọn lĩnh vực.', needTitle: 'Hãy viết tiêu đề.', needAnswer: 'Hãy trả lời câu hỏi kiểm tra.',
    send: 'Gửi phản ánh', sending: 'Đang gửi…', failed: 'Không gửi được, hãy thử lại.',
    sent: 'Đã gửi phản ánh', codeLabel: 'Mã theo dõi', keyLabel: 'Mã bí mật',
    keyNote: 'Hãy lưu lại mã bí mật: nó chỉ hiện một lần. Dùng nó để đánh giá kết quả hoặc mở lại phản ánh.',
    openCase: 'Xem tiến trình xử lý', another: 'Gửi phản ánh khác',
    caseTitle: 'Theo dõi phản ánh', status: 'Trạng thái', unit: 'Đơn vị xử lý', noUnit: 'Chưa phân công',
    received: 'Tiếp nhận', due: 'Hạn xử lý', resolvedAt: 'Giải quyết', none: '—',
    timeline: 'Tiến trình', photosTitle: 'Ảnh', place: 'Vị trí',
    yourKey: 'Đánh giá hoặc mở lại', pasteKey: 'Dán mã bí mật nhận được khi gửi', useKey: 'Dùng mã',
    keyKept: 'Mã bí mật của phản ánh này đã được lưu trên máy này.',
    rate: 'Đánh giá kết quả xử lý', stars: (n) => `${n} sao`, rated: 'Cảm ơn bạn đã đánh giá.',
    reopen: 'Chưa được giải quyết? Mở lại phản ánh', reopened: 'Phản ánh đã được mở lại.',
    loadFailed: 'Không tải được trang, hãy thử lại.',
  },
  en: {
    formTitle: 'Report a problem',
    intro: 'Tell the city about something you have seen. You will get a code to follow how it is handled.',
    category: 'Category', chooseCategory: '— Choose a category —',
    title: 'Title', titleHint: 'What happened, in one line',
    description: 'Details', descriptionHint: 'Where, since when, who is affected…',
    photos: 'Photos', photosHint: 'Up to 3 photos of at most 5 MB each. Location and camera details are removed before they are stored.',
    tooManyPhotos: 'You can send at most 3 photos.',
    photoTooBig: (name) => `The photo ${name} is larger than 5 MB: choose a smaller one.`,
    location: 'Location', locationHint: 'Tap the map to place the point, or use where you are.',
    useLocation: 'Use my location', locating: 'Finding your location…',
    noLocation: 'Your phone did not give a location: tap the map instead.',
    needLocation: 'Place the point on the map.', pointAt: 'Point placed',
    contact: 'Contact details (optional)',
    contactNote: 'Your name, phone and e-mail are seen only by the office handling the report, and never published.',
    fullName: 'Full name', phone: 'Phone', email: 'E-mail',
    check: 'Check question', checkHint: 'Answer the sum to send.',
    needCategory: 'Choose a category.', needTitle: 'Write a title.', needAnswer: 'Answer the check question.',
    send: 'Send report', sending: 'Sending…', failed: 'The report could not be sent: try again.',
    sent: 'Report sent', codeLabel: 'Tracking code', keyLabel: 'Secret key',
    keyNote: 'Keep this secret key: it is shown only once. Use it to rate the answer or reopen the report.',
    openCase: 'Follow the report', another: 'Send another report',
    caseTitle: 'Report', status: 'Status', unit: 'Handled by', noUnit: 'Not assigned yet',
    received: 'Received', due: 'Due', resolvedAt: 'Resolved', none: '—',
    timeline: 'Timeline', photosTitle: 'Photos', place: 'Location',
    yourKey: 'Rate or reopen', pasteKey: 'Paste the secret key you were given', useKey: 'Use key',
    keyKept: 'The secret key of this report is kept on this device.',
    rate: 'Rate the answer', stars: (n) => `${n} star${n > 1 ? 's' : ''}`, rated: 'Thank you for your rating.',
    reopen: 'Not solved? Reopen the report', reopened: 'The report has been reopened.',
    loadFailed: 'The page could not be loaded: try again.',
  },
};

export function lang() {
  return document.documentElement.lang === 'en' ? 'en' : 'vi';
}

// A string (or a string made from `args`) in the page's language.
export function t(key, ...args) {
  const value = STRINGS[lang()][key] ?? STRINGS.vi[key] ?? key;
  return typeof value === 'function' ? value(...args) : value;
}

// A code list's term label (vi/en) in the page's language.
export function label(term) {
  return term ? term[lang()] ?? term.vi : '';
}

// The language query of links between the pages.
export function langQuery() {
  return lang() === 'en' ? '?lang=en' : '';
}
