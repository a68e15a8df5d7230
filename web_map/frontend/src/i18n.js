// Interface strings: Vietnamese first, English second. Never inline strings elsewhere.
export const STRINGS = {
  vi: {
    title: 'Toàn Cảnh – Bản đồ điều hành', layers: 'Lớp dữ liệu', loading: 'Đang tải…',
    views: 'Phân hệ', legend: 'Chú giải', shown: 'đối tượng', window: 'Thời gian',
    last24h: '24 giờ', last7d: '7 ngày', last30d: '30 ngày', last90d: '90 ngày',
    play: 'Phát', pause: 'Dừng', byHour: 'theo giờ', byDay: 'theo ngày',
    search: 'Tìm phường, thửa (tờ 1 thửa 9), địa chỉ, mã…', searchResults: 'Kết quả tìm kiếm',
    searchNothing: 'Không tìm thấy', wholeCity: 'Toàn thành phố', area: 'Địa bàn',
    kpi: 'Chỉ số của địa bàn', indicator: 'Chỉ tiêu',
    month: 'Tháng', parcels: 'thửa', live: 'Sự kiện mới',
    liveOn: 'Trực tuyến', liveOff: 'Mất kết nối, đang thử lại…', wall: 'Màn hình lớn', panels: 'Khung',
    cycle: 'Tự chuyển phân hệ', fullscreen: 'Toàn màn hình', signIn: 'Đăng nhập', signOut: 'Đăng xuất',
    username: 'Tên đăng nhập', password: 'Mật khẩu', edit: 'Sửa thửa đất', editHint: 'Chọn một thửa đất trên bản đồ để sửa',
    save: 'Lưu', cancel: 'Huỷ', history: 'Lịch sử thay đổi', asOf: 'Bản đồ tại thời điểm', asOfNow: 'Hiện tại',
    saved: 'Đã lưu phiên bản', conflict: 'Người khác đã lưu thửa này trước bạn. Tải lại để xem bản mới rồi sửa lại.',
    reload: 'Tải lại', invalid: 'Dữ liệu không hợp lệ', noEdit: 'Tài khoản của bạn không có quyền sửa thửa đất.',
    orthophoto: 'Ảnh trực giao', density: 'Mật độ phát hiện', cones: 'Vùng nhìn camera', close: 'Đóng',
    language: 'English', noData: 'Không có số liệu', total: 'Tổng', geometry: 'Hình thể',
    editGeometry: 'Kéo các đỉnh để sửa hình thể', version: 'Phiên bản', by: 'bởi',
    province: 'tỉnh', district: 'huyện/thành phố', commune: 'phường/xã',
    opI: 'tạo mới', opU: 'sửa', opD: 'xoá',
    deskTitle: 'Phản ánh', deskCall: 'Nhận cuộc gọi', deskCategory: 'Lĩnh vực', deskUnit: 'Đơn vị xử lý',
    deskAll: 'Tất cả', deskUnassigned: 'Chưa giao', deskOverdue: 'Chỉ quá hạn', deskInWindow: 'Trong khung thời gian',
    deskSearch: 'Mã hoặc nội dung…', deskAssign: 'Giao các phản ánh đã chọn', deskReports: 'phản ánh',
    deskTickFirst: 'Hãy chọn phản ánh trước', deskAssigned: 'Đã giao', deskRefused: 'Không giao được',
    deskDue: 'Hạn', deskLate: 'Quá hạn', deskDuplicate: 'Có thể trùng', deskMerge: 'Gộp vào phản ánh đó',
    deskChannel: 'Kênh', deskSuggested: 'đề xuất', deskReceived: 'Tiếp nhận', deskContact: 'Liên hệ',
    deskRating: 'Đánh giá', deskTimeline: 'Quá trình xử lý', deskStale: 'Phản ánh vừa được người khác cập nhật; đã tải lại.',
    deskText_reason: 'Lý do (công khai)', deskText_question: 'Câu hỏi cho công dân (công khai)',
    deskText_response: 'Nội dung trả lời (công khai)', deskTitleField: 'Nội dung chính', deskDescription: 'Mô tả',
    deskCaller: 'Người gọi', deskPhone: 'Điện thoại', deskPlace: 'Bấm vào bản đồ để đặt vị trí.',
    deskFile: 'Tạo phản ánh', deskFiled: 'Đã tạo phản ánh', deskSort: 'Sắp xếp', deskNewest: 'Mới nhất',
    deskNearestDue: 'Hạn gần nhất',
    alarms: 'Cảnh báo', alarmSound: 'Âm báo', perMinute: 'lượt/phút', acknowledgedBy: 'Đã xác nhận:', acknowledge: 'Xác nhận', openIncident: 'Mở sự cố',
    incidents: 'Sự cố', sopSteps: 'Các bước xử lý (SOP)', stepDone: 'Hoàn thành bước', incidentLog: 'Nhật ký',
    incidentNote: 'Ghi chú…', nearest: 'Lực lượng gần nhất theo đường', nearest_health: 'Y tế',
    nearest_police: 'Công an', nearest_fire: 'Cứu hỏa', minutes: 'phút',
    hub: 'Chỉ tiêu', directives: 'Chỉ đạo', directiveIssue: 'Giao chỉ đạo', directives_open: 'Đang thực hiện', directives_late: 'Quá hạn',
    directives_all: 'Tất cả', directiveText: 'Nội dung chỉ đạo', directivePriority: 'Mức độ khẩn',
    directivePlace: 'Bấm vào bản đồ để gắn vị trí (không bắt buộc).', directiveSend: 'Gửi chỉ đạo',
    // the parcel editor (#20): read-only parcels, refusals, confirmation, restore, "as of"
    editReadOnly: 'Chỉ xem', editWardFollows: '(theo hình thể; đổi bằng cách di chuyển hình thể)', editArea: 'Diện tích',
    refusedPermission: 'Không có quyền', confirmTitle: 'Xác nhận trước khi lưu', confirmArea: 'Diện tích thay đổi',
    confirmThreshold: 'ngưỡng', confirmGap: 'Để lại khoảng hở', nextTo: 'cạnh', confirmOverlap: 'Chồng lấn',
    confirmSave: 'Vẫn lưu', confirmBack: 'Quay lại sửa', parcelShort: 'thửa', sheetShort: 'tờ',
    restore: 'Khôi phục', restored: 'Đã khôi phục, phiên bản', asOfShow: 'Xem',
    // popups, counts and map controls (#20 items 5, 7)
    snapshot: 'Ảnh mới nhất từ camera', noSnapshot: 'Chưa có ảnh từ camera', evidence: 'Ảnh bằng chứng',
    events: 'sự kiện', fromZoom: 'hiện từ mức thu phóng',
    zoomIn: 'Phóng to', zoomOut: 'Thu nhỏ', resetBearing: 'Xoay về hướng bắc', attribution: 'Nguồn dữ liệu',
  },
  en: {
    title: 'Toàn Cảnh – Operations map', layers: 'Layers', loading: 'Loading…',
    views: 'Views', legend: 'Legend', shown: 'features', window: 'Time',
    last24h: '24 h', last7d: '7 days', last30d: '30 days', last90d: '90 days',
    play: 'Play', pause: 'Pause', byHour: 'by hour', byDay: 'by day',
    search: 'Find a ward, parcel (tờ 1 thửa 9), address, code…', searchResults: 'Search results',
    searchNothing: 'Nothing found', wholeCity: 'Whole city', area: 'Area',
    kpi: 'Figures for the area', indicator: 'Indicator',
    month: 'Month', parcels: 'parcels', live: 'Latest events',
    liveOn: 'Live', liveOff: 'Disconnected, retrying…', wall: 'Map wall', panels: 'Panels',
    cycle: 'Cycle views', fullscreen: 'Full screen', signIn: 'Sign in', signOut: 'Sign out',
    username: 'Username', password: 'Password', edit: 'Edit parcels', editHint: 'Pick a parcel on the map to edit it',
    save: 'Save', cancel: 'Cancel', history: 'Change history', asOf: 'Map as of', asOfNow: 'Now',
    saved: 'Saved version', conflict: 'Someone else saved this parcel first. Reload to see their version, then edit again.',
    reload: 'Reload', invalid: 'Invalid data', noEdit: 'Your account may not edit parcels.',
    orthophoto: 'Orthophoto', density: 'Detection density', cones: 'Camera fields of view', close: 'Close',
    language: 'Tiếng Việt', noData: 'No data', total: 'Total', geometry: 'Geometry',
    editGeometry: 'Drag the vertices to change the shape', version: 'Version', by: 'by',
    province: 'province', district: 'district', commune: 'ward/commune',
    deskTitle: 'Feedback', deskCall: 'Take a call', deskCategory: 'Category', deskUnit: 'Handling unit',
    deskAll: 'All', deskUnassigned: 'Unassigned', deskOverdue: 'Overdue only', deskInWindow: 'In the time window',
    deskSearch: 'Code or words…', deskAssign: 'Assign the ticked reports', deskReports: 'reports',
    deskTickFirst: 'Tick reports first', deskAssigned: 'Assigned', deskRefused: 'Not assigned',
    deskDue: 'Due', deskLate: 'Overdue', deskDuplicate: 'Likely duplicate of', deskMerge: 'Merge into it',
    deskChannel: 'Channel', deskSuggested: 'suggested', deskReceived: 'Received', deskContact: 'Contact',
    deskRating: 'Rating', deskTimeline: 'Handling so far', deskStale: 'Someone else just updated this report; reloaded.',
    deskText_reason: 'Reason (public)', deskText_question: 'Question to the citizen (public)',
    deskText_response: 'Response (public)', deskTitleField: 'What happened', deskDescription: 'Description',
    deskCaller: 'Caller', deskPhone: 'Phone', deskPlace: 'Click the map to place it.',
    deskFile: 'File the report', deskFiled: 'Filed report', deskSort: 'Order', deskNewest: 'Newest',
    deskNearestDue: 'Nearest deadline',
    alarms: 'Alerts', alarmSound: 'Sound', perMinute: 'a minute', acknowledgedBy: 'Acknowledged by', acknowledge: 'Acknowledge', openIncident: 'Open an incident',
    incidents: 'Incidents', sopSteps: 'Response steps (SOP)', stepDone: 'Step done', incidentLog: 'Log',
    incidentNote: 'Note…', nearest: 'Nearest by road', nearest_health: 'Health',
    nearest_police: 'Police', nearest_fire: 'Fire', minutes: 'min',
    hub: 'Indicators', directives: 'Directives', directiveIssue: 'Issue a directive', directives_open: 'Open', directives_late: 'Late',
    directives_all: 'All', directiveText: 'Directive', directivePriority: 'Priority',
    directivePlace: 'Click the map to place it (optional).', directiveSend: 'Send the directive',
    opI: 'created', opU: 'edited', opD: 'deleted',
    // the parcel editor (#20): read-only parcels, refusals, confirmation, restore, "as of"
    editReadOnly: 'Read only', editWardFollows: '(from the shape; move the shape to change it)', editArea: 'Area',
    refusedPermission: 'Not permitted', confirmTitle: 'Confirm before saving', confirmArea: 'The area changes',
    confirmThreshold: 'threshold', confirmGap: 'Leaves a gap of', nextTo: 'next to', confirmOverlap: 'Overlaps',
    confirmSave: 'Save anyway', confirmBack: 'Go back', parcelShort: 'parcel', sheetShort: 'sheet',
    restore: 'Restore', restored: 'Restored as version', asOfShow: 'Show',
    snapshot: 'Latest camera frame', noSnapshot: 'No camera frame yet', evidence: 'Evidence photo',
    events: 'events', fromZoom: 'drawn from zoom',
    zoomIn: 'Zoom in', zoomOut: 'Zoom out', resetBearing: 'Reset bearing to north', attribution: 'Data sources',
  },
};

export function lang() {
  return document.documentElement.lang === 'en' ? 'en' : 'vi';
}

export function t(key) {
  return (STRINGS[lang()] || STRINGS.vi)[key] ?? STRINGS.vi[key] ?? key;
}

// The title of a registry object carrying vi/en (or title_vi/title_en) in the page's language.
export function title(item) {
  const l = lang();
  return item[l] ?? item[`title_${l}`] ?? item.vi ?? item.title_vi ?? '';
}

// A metric's or an indicator's unit in the page's language ("triệu đồng" / "million VND").
export function unitOf(item) {
  return (lang() === 'en' && item.unit_en) || item.unit || '';
}

// MapLibre's own control titles (the map's `locale` option) in the page's language.
export function mapLocale() {
  return {
    'NavigationControl.ZoomIn': t('zoomIn'), 'NavigationControl.ZoomOut': t('zoomOut'),
    'NavigationControl.ResetBearing': t('resetBearing'), 'AttributionControl.ToggleAttribution': t('attribution'),
    'FullscreenControl.Enter': t('fullscreen'), 'FullscreenControl.Exit': t('fullscreen'),
  };
}

export function number(value, digits = 0) {
  return Number(value ?? 0).toLocaleString(lang() === 'en' ? 'en-GB' : 'vi-VN', {maximumFractionDigits: digits});
}
