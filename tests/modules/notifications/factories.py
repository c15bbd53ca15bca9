import factory

from modules.notifications.models import Channel, Message


class MessageFactory(factory.django.DjangoModelFactory):
    """A recorded message, queued and not yet sent (as notify() leaves it)."""

    class Meta:
        model = Message

    channel = Channel.EMAIL
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "ar"
    template = "tests/example"
    subject = "رسالة تجريبية من الرفادة"
    body_text = "السلام عليكم، هذه رسالة تجريبية."
    body_html = '<html lang="ar" dir="rtl"><body><p>السلام عليكم</p></body></html>'

    class Params:
        sms = factory.Trait(
            channel=Channel.SMS,
            recipient=factory.Sequence(lambda n: f"+9665{n:08d}"),
            subject="",
            body_html="",
        )
