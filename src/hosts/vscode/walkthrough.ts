import * as vscode from 'vscode';

/**
 * The walkthrough's example: the seed article's conveyor belt, with the two
 * mistakes people make first. It opens as an untitled Python document, so
 * nothing is written to the workspace.
 */
const EXAMPLE = `import asyncio


async def conveyor_belt(plates):
    """Sushi plates arrive one at a time; the kitchen works between them."""
    for plate in plates:
        await asyncio.sleep(0.1)
        yield plate


async def main():
    # A plain \`for\` cannot take plates from an async belt: it raises TypeError.
    for plate in conveyor_belt(["salmon", "tuna", "eel"]):
        print("eating", plate)


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        print("starting the countdown")  # ...but forgets to return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(0.1)
        self.current -= 1
        return self.current + 1


asyncio.run(main())
`;

export async function openExample(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content: EXAMPLE });
  await vscode.window.showTextDocument(document);
}
