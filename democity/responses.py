"""The public texts of the demo's workflow moves: answers, reasons and questions, in Vietnamese.

Used for the histories of the loaded reports (democity.histories) and by the steady flow
(democity.flow); the citizen reads them on the case page.
"""

from __future__ import annotations

import numpy as np

# category → answers given when the report is resolved
RESOLVED = {
    "infrastructure": (
        "Đơn vị đã cử cán bộ kiểm tra và khắc phục xong tại hiện trường.",
        "Đã thay thế bóng đèn hỏng; hệ thống chiếu sáng hoạt động bình thường.",
        "Đã vá ổ gà và hoàn trả mặt đường bảo đảm an toàn giao thông.",
        "Đã thay nắp cống mới và rào chắn khu vực trong thời gian thi công.",
        "Đã cắt tỉa cành cây có nguy cơ gãy đổ.",
    ),
    "environment": (
        "Đã thu gom, vận chuyển toàn bộ rác thải tồn đọng và nhắc nhở các hộ dân đổ rác đúng giờ.",
        "Đã kiểm tra, yêu cầu chủ công trình che chắn và tưới nước giảm bụi.",
        "Đã nạo vét, khơi thông cống thoát nước; nước thải không còn chảy tràn.",
        "Đã lập biên bản, nhắc nhở hộ dân không đốt rác ngoài trời.",
    ),
    "public_order": (
        "Tổ trật tự đô thị đã kiểm tra, yêu cầu các hộ kinh doanh trả lại vỉa hè cho người đi bộ.",
        "Đã xử lý vi phạm đỗ xe sai quy định và tăng cường tuần tra khu vực.",
        "Đã bóc, xoá quảng cáo rao vặt trái phép.",
        "Đã nhắc nhở, xử phạt hộ gây ồn theo quy định.",
    ),
    "land": (
        "Đã kiểm tra hiện trạng, lập biên bản và yêu cầu dừng thi công công trình không phép.",
        "Đã tổ chức hoà giải tại cơ sở; hai bên thống nhất ranh giới thửa đất.",
        "Hồ sơ đã được giải quyết; mời công dân nhận giấy chứng nhận tại Trung tâm Phục vụ hành chính công.",
    ),
    "administrative": (
        "Hồ sơ đã được giải quyết và trả kết quả cho công dân.",
        "Đơn vị đã hướng dẫn công dân trình tự, thủ tục và thành phần hồ sơ theo quy định.",
        "Đơn vị đã kiểm điểm, nhắc nhở cán bộ tiếp dân và xin lỗi công dân.",
    ),
    "security": (
        "Công an phường đã kiểm tra, giải tán nhóm tụ tập và tăng cường tuần tra.",
        "Công an đã tiếp nhận, xác minh và xử lý theo quy định.",
        "Đã phối hợp với tổ dân phố theo dõi, kiểm tra; chưa phát hiện vi phạm mới.",
    ),
}
REJECTED = (
    "Nội dung phản ánh không thuộc thẩm quyền giải quyết của đơn vị; đề nghị công dân liên hệ cơ quan có "
    "thẩm quyền.",
    "Thông tin phản ánh chưa đủ để xác minh (không xác định được vị trí cụ thể).",
    "Qua kiểm tra thực tế, không phát hiện sự việc như nội dung phản ánh.",
    "Nội dung phản ánh là tranh chấp dân sự; đề nghị công dân gửi đơn đến Toà án nhân dân có thẩm quyền.",
)
QUESTIONS = (
    "Đề nghị công dân cung cấp thêm ảnh chụp hiện trường.",
    "Đề nghị công dân cho biết vị trí cụ thể (số nhà, ngõ, tổ dân phố).",
    "Đề nghị công dân cho biết thời điểm sự việc thường xảy ra.",
)
REASSIGNED = (
    "Chuyển đơn vị có thẩm quyền giải quyết theo địa bàn.",
    "Chuyển đơn vị phụ trách đúng lĩnh vực.",
)


def pick(rng: np.random.Generator, texts: tuple[str, ...]) -> str:
    """One of `texts`, drawn by `rng`."""
    return texts[int(rng.integers(len(texts)))]


def text_for(rng: np.random.Generator, move: str, category: str) -> str:
    """The public text of `move` for a report of `category` ('' for a move that carries none)."""
    table = {"resolve": RESOLVED[category], "reject": REJECTED, "ask_citizen": QUESTIONS,
             "reassign": REASSIGNED}
    return pick(rng, table[move]) if move in table else ""
