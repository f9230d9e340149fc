FROM ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get install -y curl git wget ca-certificates gnupg
RUN apt-get install -y build-essential cmake pkg-config
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
RUN apt-get install -y nodejs
RUN npm install -g yarn pnpm
RUN apt-get install -y python3 python3-pip python3-venv
RUN pip3 install --upgrade pip setuptools wheel
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
RUN useradd -m -s /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
WORKDIR /home/dev/workspace
COPY scripts/ /usr/local/bin/
RUN chmod +x /usr/local/bin/*.sh
USER dev
ENV PATH=/home/dev/.local/bin:$PATH
CMD ["bash"]
