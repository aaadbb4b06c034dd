from ninja import Router

router = Router(tags=["Vụ việc, tâm tư nguyện vọng, kiểm tra"])
