async function* pages(urls: string[]): AsyncGenerator<string> {
  for (const url of urls) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    yield `<html>${url}</html>`;
  }
}

export async function printPages(urls: string[]) {
  for (const page of pages(urls)) {
    console.log(page);
  }
}
